FROM node:22-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
# Not final: not reported.
CMD ["npm", "run", "dev"]

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
# want +1 DF014 "the container runs `npm start`: npm is the main process"
CMD [ "npm", "start" ]
