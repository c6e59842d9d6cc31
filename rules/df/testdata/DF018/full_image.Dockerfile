# The full node image ships curl and wget.
FROM node:22-bookworm
WORKDIR /app
COPY . .
HEALTHCHECK --start-period=5s CMD curl -f http://127.0.0.1:3000/health || exit 1
CMD ["node", "server.js"]
