/** No Docker engine runs here: the compose file is checked as data, the way `docker compose config` would read it. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../domain/names';

const root = path.resolve(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      ports?: string[];
      environment?: Record<string, string>;
      depends_on?: Record<string, unknown>;
      command?: string[];
    }
  >;
};

describe('docker-compose.yml', () => {
  test('has Temporal on PostgreSQL, the UI and the worker', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker']),
    );
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  test('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/) });
    }
  });

  test('publishes the frontend on 7233 and the UI on 8233', () => {
    expect(compose.services.temporal.ports).toContain('7233:7233');
    expect(compose.services['temporal-ui'].ports).toContain('8233:8080');
  });

  test('gives the worker its Temporal connection through envconfig variables and no secret values', () => {
    const env = compose.services.worker.environment!;
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.CUTOVER_SLACK_WEBHOOK).toBe('${CUTOVER_SLACK_WEBHOOK:-}');
    expect(compose.services.worker.build).toBe('.');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  test('registers the same search attributes as the dev server script and the code', () => {
    const names = Object.values(SEARCH_ATTRIBUTES);
    const composeCommand = compose.services['temporal-admin-tools'].command!.join(' ');
    const devServer = fs.readFileSync(path.join(root, 'scripts/dev-server.sh'), 'utf8');
    for (const name of names) {
      expect(composeCommand).toContain(`--name ${name} --type Keyword`);
      expect(devServer).toContain(`--search-attribute ${name}=Keyword`);
    }
  });
});
