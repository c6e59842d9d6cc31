ARG WEB_TAG=latest
# want +1 DF002 "base image `node:latest` uses the `latest` tag: the build gets whatever version"
FROM node:latest AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm run build

# A stage reference is not an image.
FROM build AS test
RUN npm test

# want +1 DF002 "`nginx:.*WEB_TAG.*` [(]`nginx:latest`[)]"
FROM nginx:${WEB_TAG} AS static
COPY --from=build /app/dist /usr/share/nginx/html

# want +1 DF002 "the digest pins it"
FROM docker.io/library/node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /app/dist /app
CMD ["node", "/app/server.js"]
