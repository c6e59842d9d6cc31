# Near miss: shell-form CMD given to an init ENTRYPOINT.
FROM node:22-alpine
RUN apk add --no-cache tini
WORKDIR /app
COPY . .
ENTRYPOINT ["/sbin/tini", "--"]
CMD node server.js
