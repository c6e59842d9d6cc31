FROM node:22 AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

FROM node:22-slim
WORKDIR /app
# A stage referenced by index; the deps stage installed devDependencies.
# want +1 DF036 "whole working directory of stage \"deps\", bringing devDependencies in node_modules"
COPY --from=0 /app /app
COPY dist ./dist
CMD ["node", "dist/server.js"]
