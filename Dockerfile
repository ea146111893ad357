# Node.js 26 is the current LTS (see .nvmrc); CI runs the test suite on the same major.
# Build stage: dev dependencies are needed only to build the dashboard.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY dashboard ./dashboard
RUN npm run build:dashboard

FROM node:26-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json schema.graphql ./
COPY drizzle ./drizzle
COPY src ./src
COPY connectors ./connectors
COPY --from=build /app/dashboard/dist ./dashboard/dist
# The embedded default (no DATABASE_URL) keeps its PGlite folder here. /app stays root-owned and
# read-only to the hub; /data is the one place it writes, so mount a volume on it to keep data.
ENV HUB_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
