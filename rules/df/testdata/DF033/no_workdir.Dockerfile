FROM node:22-slim AS deps
# want +1 DF033 "COPY to the relative destination `./` with no WORKDIR set"
COPY package.json package-lock.json ./
RUN npm ci

FROM node:22-slim AS build
# Only the first instruction of a stage is reported.
# want +1 DF033 "`npm run build` runs in the project directory but no WORKDIR is set"
RUN npm run build
COPY . .

FROM node:22-slim
# want +1 DF033 "COPY to the relative destination `.` with no WORKDIR set"
COPY --from=build /dist .
CMD ["node", "server.js"]
