FROM node:22-slim
WORKDIR /app
COPY . .
# want +1 DF014 "runs `pnpm start`"
CMD ["sh", "-c", "node migrate.js && exec pnpm start"]
