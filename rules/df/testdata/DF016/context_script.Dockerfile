FROM node:22-slim
WORKDIR /app
COPY . .
COPY docker-entrypoint.sh /usr/local/bin/
# The script comes from the build context: it cannot be read, say so at info.
# want +1 DF016 "ENTRYPOINT runs the script `docker-entrypoint.sh`, which is not written in the Dockerfile"
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node", "server.js"]
