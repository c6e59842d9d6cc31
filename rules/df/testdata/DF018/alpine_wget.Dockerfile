# busybox wget is part of alpine images.
FROM node:22-alpine
WORKDIR /app
COPY . .
HEALTHCHECK --start-period=5s CMD wget -qO- http://127.0.0.1:3000/health || exit 1
CMD ["node", "server.js"]
