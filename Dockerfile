# The cutover worker (and CLI). Build: docker build -t cutover-worker .
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Workflows are bundled at build time so the worker starts without webpack.
RUN npx tsx worker/build-bundle.ts dist/workflow-bundle.js
ENV CUTOVER_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    CUTOVER_LOG_PRETTY=0 \
    NODE_ENV=production
USER node
CMD ["npx", "tsx", "worker/main.ts"]
