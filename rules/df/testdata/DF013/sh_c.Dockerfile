FROM node:22-slim
WORKDIR /app
COPY . .
# want +1 DF013 "runs `sh -c \"npm run migrate && node server.js\"`, whose last command `node server.js` is not exec'd"
CMD ["sh", "-c", "npm run migrate && node server.js"]
