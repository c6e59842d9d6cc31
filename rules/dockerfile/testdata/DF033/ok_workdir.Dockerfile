# Near misses: WORKDIR set (also in the stage built on), absolute
# destinations, cd as the last command or in a subshell.
FROM node:22-slim AS base
WORKDIR /app

FROM base AS build
COPY package*.json ./
RUN npm ci
RUN (cd packages/api && npm run build) && npm test
RUN echo "$(cd /tmp && pwd)" > /where

FROM node:22-slim
COPY --from=build /app/dist /srv/app/dist
RUN apt-get update && apt-get install -y --no-install-recommends tini && cd /
RUN npm install -g pm2@5
CMD ["node", "/srv/app/dist/server.js"]
