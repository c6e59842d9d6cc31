FROM node:22 AS build
WORKDIR /app
COPY . .
# The build stage's USER does not carry over to an unrelated final stage.
USER node
RUN npm ci && npm run build

# want +1 DF011 "the final stage has no USER instruction: the container runs as root"
FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
