# Near miss: the official node image's own docker-entrypoint.sh execs.
FROM node:22-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node", "server.js"]
