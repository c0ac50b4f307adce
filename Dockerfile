# The cutover worker (and CLI), installed from the npm package this repository packs.
#   docker build -t cutover-worker .
# Stage 1 builds the package (dist/ and the prebuilt workflow bundle) and packs it; stage 2 installs
# only that tarball with its production dependencies: no sources, no TypeScript, no tsx, no dev deps.

FROM node:20-bookworm-slim AS pack
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# "npm run build" is what prepack runs; --ignore-scripts so that npm pack does not build a second time
RUN npm run build && mkdir /pack && npm pack --ignore-scripts --pack-destination /pack

FROM node:20-bookworm-slim
# The SDK's native connection verifies TLS against the system's CA store, which the slim image lacks.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=pack /pack/ /tmp/pack/
RUN npm install --prefix /opt/cutover --omit=dev --no-audit --no-fund /tmp/pack/cutover-*.tgz \
    && rm -rf /tmp/pack /root/.npm
# Plans in /var/lib/cutover/plans (mount yours there), the worker's state in /var/lib/cutover/.data.
# It runs as the image's unprivileged "node" user (uid 1000): a mounted plans folder must be writable by it,
# since a plan writes its reports, baselines and backups inside its workdir.
RUN mkdir -p /var/lib/cutover/plans /var/lib/cutover/.data && chown -R node:node /var/lib/cutover
ENV PATH=/opt/cutover/node_modules/.bin:$PATH \
    NODE_ENV=production \
    CUTOVER_LOG_PRETTY=0 \
    CUTOVER_PLAN_DIR=/var/lib/cutover/plans \
    CUTOVER_RUN_DIR=/var/lib/cutover/.data/run
WORKDIR /var/lib/cutover
USER node
EXPOSE 9464
# SIGTERM drains the worker: running steps get CUTOVER_SHUTDOWN_GRACE (30s), so give `docker stop` more (-t 45).
STOPSIGNAL SIGTERM
CMD ["cutover", "worker"]
