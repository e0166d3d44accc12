FROM node:20-bookworm-slim AS build
# fs-ext (the data directory's flock) is a native addon built by node-gyp.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/proto ./proto
COPY --from=build /app/scripts ./scripts
EXPOSE 3000 50051
CMD ["node", "dist/apps/ledger/src/main.js"]
