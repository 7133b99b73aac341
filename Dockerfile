# reboot-daemon image: watch mode (Deployment, non-root) and agent mode (DaemonSet, root + privileged for
# nsenter into the host's namespaces; the manifest sets that, not the image). Multi-stage: the build stage
# compiles TypeScript; the final stage holds only the built JS, production node_modules and nsenter.
# Build: docker build -t ghcr.io/reboot-daemon/reboot-daemon:0.1.0 .

FROM node:20.19-alpine3.21 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20.19-alpine3.21
# util-linux provides nsenter (the agent runs host commands and the reboot through it).
RUN apk add --no-cache util-linux-misc
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin/reboot-daemon.js ./bin/reboot-daemon.js
# Non-root by default (watch mode needs no privileges). The agent DaemonSet runs as root, privileged.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "/app/bin/reboot-daemon.js"]
CMD ["watch"]
