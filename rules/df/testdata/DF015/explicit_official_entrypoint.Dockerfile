FROM node:22-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["docker-entrypoint.sh"]
# want +1 DF015 "`node --enable-source-maps dist/main.js` runs as PID 1"
CMD ["node", "--enable-source-maps", "dist/main.js"]
