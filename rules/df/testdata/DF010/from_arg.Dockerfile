FROM node:22-alpine
ARG NODE_ENV=production
# The value comes from a build argument: not guessed.
ENV NODE_ENV=$NODE_ENV
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
