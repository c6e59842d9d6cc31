# Near misses: an init is the ENTRYPOINT (any path), in CMD too.
FROM node:22-alpine AS a
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "server.js"]

FROM node:22-slim AS b
CMD ["dumb-init", "node", "server.js"]

FROM a
WORKDIR /app
