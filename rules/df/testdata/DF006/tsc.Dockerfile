FROM node:22-alpine
WORKDIR /app
COPY . .
# want +1 DF006 "`npx --yes tsc -p tsconfig.json`"
RUN npx --yes tsc -p tsconfig.json
CMD ["node", "dist/index.js"]
