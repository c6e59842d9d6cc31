FROM node:22 AS build
RUN npm ci && npm run build
CMD ["node", "build.js"]

FROM nginx:1.27-alpine
COPY --from=build /dist /usr/share/nginx/html
CMD ["nginx", "-g", "daemon off;"]
