FROM node:22-slim AS production
WORKDIR /app
COPY . .
CMD ["node", "server.js"]

# The last (default) target is a development environment.
FROM node:22 AS development
WORKDIR /app
CMD ["npm", "run", "dev"]
