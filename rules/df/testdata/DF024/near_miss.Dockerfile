FROM node:22-slim AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
# Templates and public material are not secrets.
COPY .env.example .env.sample .env.template .env.dist ./
COPY deploy/id_rsa.pub /root/.ssh/authorized_keys
COPY certs/ca-bundle.pem certs/fullchain.pem /etc/ssl/certs/
COPY *.json ./
COPY environment.ts ./src/
# From another stage, not from the build context.
COPY --from=build /app/.env.production ./
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
