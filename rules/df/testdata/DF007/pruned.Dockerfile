# Single stage that builds, then prunes: DF006's business, not DF007's.
FROM node:22-slim
WORKDIR /app
COPY package*.json yarn.lock pnpm-lock.yaml ./
RUN npm ci && npm run build && npm prune --omit=dev
RUN yarn install --frozen-lockfile
RUN yarn build
RUN yarn workspaces focus --all --production
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod
RUN npm ci
RUN export NODE_ENV=production && npm prune
CMD ["node", "dist/server.js"]
