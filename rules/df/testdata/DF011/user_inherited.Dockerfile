FROM node:22-slim AS base
WORKDIR /app
COPY --chown=node:node . .
USER root
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
USER node

# The last USER (inherited from stage "base") is node.
FROM base
CMD ["node", "server.js"]
