# Nothing is known about this image: it may have curl.
FROM ghcr.io/acme/node-runtime-base:3
WORKDIR /app
COPY . .
HEALTHCHECK --start-period=5s CMD curl -f http://127.0.0.1:3000/health || exit 1
CMD ["node", "server.js"]
