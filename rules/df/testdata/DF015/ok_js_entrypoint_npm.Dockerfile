# npm given to a JavaScript entrypoint is DF014's business.
FROM node:22-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["/app/docker-entrypoint.js"]
CMD ["npm", "run", "start"]
