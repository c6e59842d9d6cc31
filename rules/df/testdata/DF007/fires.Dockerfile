FROM node:22 AS build
WORKDIR /app
COPY package*.json ./
# A build stage may install everything.
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
COPY package*.json ./
# want +1 DF007 "`npm ci` in the final stage installs devDependencies too"
RUN npm ci
# NODE_ENV set after the install does not help it.
ENV NODE_ENV=production
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
