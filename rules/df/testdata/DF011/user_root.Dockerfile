FROM node:22-slim AS base
USER node
WORKDIR /app

FROM base
# want +1 DF011 "the last USER of the final stage is `0:0`"
USER 0:0
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY . .
CMD ["node", "server.js"]
