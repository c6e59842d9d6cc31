# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY package*.json ./
# The npmrc is a secret mount: nothing reaches the layer.
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev
# Written inside a tmpfs mount.
RUN --mount=type=tmpfs,target=/root \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /root/.npmrc && npm ci
# Token from a secret mount, file written and removed in the same RUN.
RUN --mount=type=secret,id=npm_token \
    echo "//registry.npmjs.org/:_authToken=$(cat /run/secrets/npm_token)" > .npmrc && \
    npm ci --omit=dev && \
    rm -f .npmrc
# No token: registry settings only.
RUN echo "registry=https://npm.example.com" > .npmrc && \
    echo "engine-strict=true" >> .npmrc && \
    npm config set fund false
# The token goes into the environment of one command, not a file.
RUN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN npm ci
CMD ["node", "server.js"]
