# Coop — two commands do everything: `make run` and `make test`. See README.md.
BUILD_DIR ?= build
PORT ?= 8080
DATABASE ?= sqlite:data/coop.db
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local

.PHONY: run test setup build server web install install-files bench bench-stats bench-chat bench-chat-tools bench-search bench-lieux bench-cat fuzz clean

run: build
	./$(BUILD_DIR)/coop serve --demo --port $(PORT) --database $(DATABASE) --static-dir web/dist \
	  --public-url http://localhost:$(PORT)

test: build
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

build: setup server web

server:
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOOP_WERROR=ON; fi
	ninja -C $(BUILD_DIR) -j $(JOBS) coop coop_tests evaluation_verifiee

web:
	cd web && npm run build

# PREFIX/bin/coop, PREFIX/share/coop/{web,referentiel}, the systemd unit, /etc/coop/coop.env
# (kept if present); DESTDIR honoured. docs/operations.md. install-files installs what is built.
install: build
	$(MAKE) install-files

install-files:
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR) --prefix "$(PREFIX)"

bench: build
	bash bench/run.sh
	bash bench/activites/run.sh
	bash bench/activites/list.sh
	bash bench/statistiques/run.sh
	$(MAKE) bench-chat-tools
	bash bench/chat/run.sh

# Chat at scale (issue 10): 10,000 WebSockets vs a Node.js + ws peer, search at 1,000,000 messages.
# Short run: BENCH_CHAT_STEP=3 BENCH_CHAT_RATES=1,10 BENCH_CHAT_PARTS=chat make bench-chat
bench-chat: build
	$(MAKE) bench-chat-tools
	bash bench/chat/run.sh

bench-chat-tools:
	ninja -C $(BUILD_DIR) -j $(JOBS) coop_bench_chat coop_bench_chat_messages
	cd bench/chat/peer && npm ci --no-audit --no-fund

# Statistics at scale (issue 4): BENCH_STATS_SIZES="1000000 10000000" for both sizes.
# Ressources search (issue 11 point 8); short run: BENCH_SEARCH_N=5000 BENCH_SEARCH_ENGINES=sqlite make bench-search
bench-search: build
	ninja -C $(BUILD_DIR) -j $(JOBS) coop_bench_search
	bash bench/search/run.sh

# Lieux search (issue 12 point 9); short run: BENCH_LIEUX_N=5000 BENCH_LIEUX_REPS=5 make bench-lieux
bench-lieux: build
	bash bench/lieux/run.sh

# Adaptive test (issue 13 point 8): Coop's engine vs the anchor's v3 on 10,000 simulated candidates,
# pure CPU, no server. Short run: BENCH_CAT_N=1000 make bench-cat. bench/cat/RESULTATS.md.
BENCH_CAT_N ?= 10000
bench-cat:
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOOP_WERROR=ON; fi
	ninja -C $(BUILD_DIR) -j $(JOBS) coop_bench_cat
	nice ./$(BUILD_DIR)/coop_bench_cat --candidats $(BENCH_CAT_N)

bench-stats: build
	bash bench/statistiques/run.sh

fuzz: setup
	bash fuzz/run.sh

clean:
	rm -rf $(BUILD_DIR) build-fuzz web/dist
