FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json yarn.lock pnpm-lock.yaml ./
RUN npm ci
RUN npm install -g pm2@5 typescript
RUN npm install express
RUN yarn install --frozen-lockfile
RUN yarn install --immutable
RUN yarn --version && yarn -v
RUN yarn add left-pad
RUN yarn global add serve
RUN pnpm install --frozen-lockfile
RUN CI=true pnpm install
RUN pnpm fetch && pnpm install --offline
RUN bun install --frozen-lockfile
RUN npm run build

FROM node:22-slim
ENV CI=true
WORKDIR /app
COPY --from=build /app ./
RUN pnpm install --prod
CMD ["node", "server.js"]
