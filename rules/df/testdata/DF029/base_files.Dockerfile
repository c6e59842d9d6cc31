FROM node:22 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27-alpine
# Files of the base image: a configuration change, not a cleanup.
RUN rm /etc/nginx/conf.d/default.conf
RUN rm -rf /usr/share/nginx/html/*
COPY nginx.conf /etc/nginx/conf.d/app.conf
COPY --from=build /src/dist /usr/share/nginx/html
