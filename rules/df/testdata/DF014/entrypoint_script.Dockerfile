FROM node:22-slim
WORKDIR /app
COPY . .
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
# The script is expected to exec its arguments.
# want +1 DF014 "runs `npm run serve`"
CMD ["npm", "run", "serve"]
