FROM node:22 AS build
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Setting it in an unrelated build stage does not reach the runtime image.
# want +1 DF010 "the final Node stage never sets NODE_ENV=production"
FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/server.js"]
