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
# Scratch directories and going back are not reported.
RUN cd /tmp && curl -fsSLO https://example.com/tool.tgz && tar xzf tool.tgz && cd tool && make install && cd / && rm -rf /tmp/tool*
RUN cd "$(mktemp -d)" && npm pack some-pkg@1.0.0
RUN make && cd .. && ls
