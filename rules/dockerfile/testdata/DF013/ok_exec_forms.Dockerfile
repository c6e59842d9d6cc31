# Near misses: exec forms, sh -c that execs, shell-form CMD given to an init.
FROM node:22-slim AS migrate
WORKDIR /app
CMD ["sh", "-c", "npm run migrate && exec node server.js"]

FROM node:22-slim AS web
WORKDIR /app
CMD ["node", "server.js"]

FROM node:22-alpine
RUN apk add --no-cache tini
WORKDIR /app
COPY . .
ENTRYPOINT ["/sbin/tini", "--"]
CMD node server.js
