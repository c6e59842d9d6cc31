# Builds a Node runtime image for others to build on, like the official ones.
FROM debian:bookworm-slim
ENV NODE_VERSION=22.11.0
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl xz-utils \
 && curl -fsSLO "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-x64.tar.xz" \
 && tar -xJf "node-v$NODE_VERSION-linux-x64.tar.xz" -C /usr/local --strip-components=1 \
 && rm -rf /var/lib/apt/lists/* "node-v$NODE_VERSION-linux-x64.tar.xz"
CMD ["node"]
