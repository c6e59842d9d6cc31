FROM node:22-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./

# The default target is a development image: NODE_ENV=production would be wrong.
FROM base AS dev
ENV NODE_ENV=development
RUN npm ci
CMD ["npx", "nodemon", "server.js"]
