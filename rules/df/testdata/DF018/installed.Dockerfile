FROM node:22-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      curl \
      tini \
 && rm -rf /var/lib/apt/lists/*

FROM base
WORKDIR /app
COPY . .
USER node
HEALTHCHECK --start-period=5s CMD curl -f http://127.0.0.1:3000/health || exit 1
CMD ["node", "server.js"]
