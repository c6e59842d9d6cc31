FROM node:22 AS build
WORKDIR /app
RUN npm ci && npm run build

# The final stage serves static files: not a Node stage.
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
