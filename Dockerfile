# Build stage: the dev dependencies (TypeScript) compile the CLI, workers and server into dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build, and the build output comes from the stage above.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts
COPY . .
COPY --from=build /app/dist ./dist
USER node
