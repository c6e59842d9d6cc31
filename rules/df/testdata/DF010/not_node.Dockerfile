FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# Static files served by nginx: NODE_ENV does not matter.
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
