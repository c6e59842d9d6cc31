ARG NODE_VERSION=22.11.0
# want +1 DF003 "base image `node:22.11.0-bookworm` is not pinned by digest"
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# A stage reference is not an image: no finding.
FROM build AS test
RUN npm test

FROM node:22.11.0-bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS pinned

# want +1 DF003 "`gcr.io/distroless/nodejs22-debian12:nonroot` is not pinned"
FROM gcr.io/distroless/nodejs22-debian12:nonroot
COPY --from=build /app/dist /app
CMD ["/app/server.js"]
