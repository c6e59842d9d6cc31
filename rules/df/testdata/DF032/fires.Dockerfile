FROM node:22-slim AS base
# want +1 DF032 "`apt-get install -y --no-install-recommends git` installs build tools \\(git\\) in stage \"base\", which the final stage #2 builds on"
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*

FROM node:22 AS build
RUN apt-get update && apt-get install -y build-essential python3

FROM base
WORKDIR /app
# want +2 DF032 "installs build tools \\(python3, make, g\\+\\+\\) in the final stage"
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 make g++ curl && \
    rm -rf /var/lib/apt/lists/*
# Only gcc is removed; build-base stays.
# want +1 DF032 "\\(build-base\\)"
RUN apk add --no-cache build-base gcc && npm ci --omit=dev && apk del gcc
# want +1 DF032 "`npm install -g node-gyp@10` installs build tools \\(node-gyp\\)"
RUN npm install -g node-gyp@10
CMD ["node", "server.js"]
