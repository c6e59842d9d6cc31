# want +1 DF017 "the final stage runs a Node process but has no HEALTHCHECK"
FROM node:22-alpine
WORKDIR /app
COPY . .
CMD npm start
