#!/usr/bin/env python3
"""libFuzzer for Junction's parsers of untrusted input (issue 9, part 3).

  fuzz.py build [TARGET...]             compile the targets (and the modules they need)
  fuzz.py run TARGET SECONDS [--runs N] [--jobs J]
                                        fuzz one target (J parallel workers share the corpus
                                        and split the N inputs; their counts are summed)
  fuzz.py run-all SECONDS [--runs N]     fuzz every target in turn, print a table

Targets live in bench/fuzz/targets/<Name>Target.swift; each names the Junction modules it
needs in a `// fuzz-modules:` line. They are not SwiftPM targets: this script compiles those
modules and their dependencies itself with `swiftc -sanitize=fuzzer,address` (coverage for
libFuzzer, AddressSanitizer for the unsafe-pointer code) into .build-fuzz/, reading the module
graph from `swift package describe`, so `swift build` never sees them.

A run seeds the corpus from the test fixtures (adapters/*/fixtures, Tests/JunctionMIMETests/
corpus, config/, the HTTP parser tests' requests), keeps what the fuzzer finds in
bench/results/fuzz/corpus/<target>/, stops after SECONDS (or N inputs) and fails on a crash,
a hang (-timeout, seconds per input) or memory growth (-rss_limit_mb, -malloc_limit_mb).
Findings land in bench/results/fuzz/artifacts/; raw figures in bench/results/fuzz-*.json.
"""
import argparse, glob, json, os, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "bench", "fuzz")
OUT = os.path.join(ROOT, ".build-fuzz")
RESULTS = os.path.join(ROOT, "bench", "results")
SWIFT_BIN = "/opt/swift/usr/bin"
SANITIZERS = "fuzzer,address"

# name -> (source file, dictionary, max input length)
TARGETS = {
    "http-parser": ("HTTPParserTarget.swift", "http.dict", 4096),
    "json": ("JSONTarget.swift", "json.dict", 8192),
    "adapters": ("AdapterTarget.swift", "json.dict", 8192),
    "mime": ("MIMETarget.swift", "mime.dict", 16384),
    "config": ("ConfigTarget.swift", "json.dict", 16384),
}
TIMEOUT_S = 10
RSS_LIMIT_MB = 1536
MALLOC_LIMIT_MB = 512


def say(text):
    print(f"\033[1m==> {text}\033[0m", file=sys.stderr, flush=True)


def run(cmd, quiet_linker=False, **kw):
    env = dict(os.environ, PATH=SWIFT_BIN + ":" + os.environ.get("PATH", ""))
    if quiet_linker:
        kw["stderr"] = subprocess.PIPE
        kw["text"] = True
    result = subprocess.run(cmd, env=env, **kw)
    if quiet_linker:
        # gold warns once per ASan helper symbol ("Cannot export local symbol"); keep the rest.
        noise = re.compile(r"Cannot export local symbol")
        sys.stderr.write("".join(l for l in result.stderr.splitlines(True) if not noise.search(l)))
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd[:6])} …")
    return result


# ---------------------------------------------------------------------------------- build

def package_graph():
    out = run([os.path.join(SWIFT_BIN, "swift"), "package", "describe", "--type", "json"],
              cwd=ROOT, capture_output=True, text=True).stdout
    return {t["name"]: t for t in json.loads(out)["targets"]}


def closure(graph, names):
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in graph[name].get("target_dependencies", []):
            visit(dep)
        order.append(name)

    for name in names:
        visit(name)
    return order


def newest(paths):
    return max((os.path.getmtime(p) for p in paths if os.path.exists(p)), default=0)


def module_flags(graph, modules):
    """-I flags for Swift modules, C targets' generated module maps and system libraries."""
    flags = ["-I", os.path.join(OUT, "modules")]
    for name in modules:
        target = graph[name]
        if target["module_type"] == "ClangTarget":
            flags += ["-I", os.path.join(OUT, "cmodules", name)]
        elif target["module_type"] == "SystemLibraryTarget":
            flags += ["-I", os.path.join(ROOT, target["path"])]
    return flags


def build_module(graph, name, modules_before):
    target = graph[name]
    path = os.path.join(ROOT, target["path"])
    sources = [os.path.join(path, s) for s in target.get("sources", [])]
    obj = os.path.join(OUT, "obj", name + ".o")
    if target["module_type"] == "SystemLibraryTarget":
        return None
    deps = [os.path.join(OUT, "obj", d + ".o") for d in closure(graph, [name])[:-1]]
    if os.path.exists(obj) and os.path.getmtime(obj) >= newest(sources + deps):
        return obj
    say(f"compiling {name} ({len(sources)} files) with -sanitize={SANITIZERS}")
    if target["module_type"] == "ClangTarget":
        include = os.path.join(path, "include")
        headers = glob.glob(os.path.join(include, "*.h"))
        cmodule = os.path.join(OUT, "cmodules", name)
        os.makedirs(cmodule, exist_ok=True)
        with open(os.path.join(cmodule, "module.modulemap"), "w") as out:
            out.write(f'module {name} {{\n  umbrella header "{headers[0]}"\n  export *\n}}\n')
        run([os.path.join(SWIFT_BIN, "clang"), "-c", "-O1", "-g",
             "-fsanitize=fuzzer-no-link,address", "-I", include, *sources, "-o", obj])
        os.utime(obj)
        return obj
    run([os.path.join(SWIFT_BIN, "swiftc"), "-parse-as-library", "-module-name", name,
         "-package-name", "junction", "-swift-version", "6", "-O", "-g", "-enable-testing",
         f"-sanitize={SANITIZERS}", "-wmo", "-num-threads", "0", "-c",
         "-emit-module", "-emit-module-path", os.path.join(OUT, "modules", name + ".swiftmodule"),
         *module_flags(graph, modules_before), *sources, "-o", obj])
    os.utime(obj)  # swiftc keeps the old mtime when the object comes out identical
    return obj


def build(names):
    graph = package_graph()
    for sub in ("obj", "modules", "cmodules", "bin"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    support = os.path.join(HERE, "targets", "FuzzSupport.swift")
    for target_name in names:
        source = os.path.join(HERE, "targets", TARGETS[target_name][0])
        header = re.search(r"^// fuzz-modules:(.*)$", open(source).read(), re.M)
        if not header:
            sys.exit(f"{source} has no '// fuzz-modules:' line")
        modules = closure(graph, header.group(1).split())
        objects = []
        for index, module in enumerate(modules):
            obj = build_module(graph, module, modules[:index])
            if obj:
                objects.append(obj)
        binary = os.path.join(OUT, "bin", target_name)
        if os.path.exists(binary) and os.path.getmtime(binary) >= newest(objects + [source, support]):
            continue
        say(f"linking fuzz target {target_name}")
        run([os.path.join(SWIFT_BIN, "swiftc"), "-parse-as-library", "-module-name", "FuzzTarget",
             "-swift-version", "6", "-O", "-g", f"-sanitize={SANITIZERS}",
             *module_flags(graph, modules), support, source, *objects, "-o", binary],
            quiet_linker=True)
        os.utime(binary)


# ---------------------------------------------------------------------------------- seeds

def files(pattern):
    return sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def unescape_swift(literal):
    return re.sub(r'\\(.)', lambda m: {"r": "\r", "n": "\n", "t": "\t", "0": "\0"}.get(
        m.group(1), m.group(1)), literal)


def seeds(target):
    """(name, bytes) pairs for the corpus of `target`, from the repository's fixtures."""
    read = lambda path: open(path, "rb").read()
    out = []
    if target == "http-parser":
        text = open(os.path.join(ROOT, "Tests/JunctionHTTPTests/HTTPRequestParserTests.swift")).read()
        requests = [unescape_swift(m) for m in re.findall(r'"((?:[^"\\\n]|\\.)*HTTP/1\.[01](?:[^"\\\n]|\\.)*)"', text)]
        requests += ["POST /v1/inbound/web HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     "Content-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\n\r\n"]
        for index, request in enumerate(requests):
            for limits in (0x0F, 0x05, 0x00):
                out.append((f"test-{index}-{limits}", bytes([limits, index & 0xFF]) + request.encode()))
    elif target == "json":
        for path in files("adapters/*/fixtures/*.json") + files("config/**/*.json") + \
                files("Tests/JunctionMIMETests/corpus/*.json"):
            out.append((os.path.relpath(path, ROOT), b"\x02" + read(path)))
    elif target == "adapters":
        for path in files("adapters/*/fixtures/*.json"):
            adapter = path.split(os.sep)[-3]
            out.append((os.path.relpath(path, ROOT), b"\x00" + adapter.encode() + b"\0" + read(path)))
        for adapter in ("whatsapp", "messenger"):
            out.append((f"{adapter}-handshake", b"\x01" + adapter.encode() + b"\0" +
                        b"hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge=1158201444"))
    elif target == "mime":
        for path in files("Tests/JunctionMIMETests/corpus/*.eml"):
            out.append((os.path.relpath(path, ROOT), b"\x01" + read(path)))
    elif target == "config":
        names = ["gateway.json", "channels.json", "routing.json", "faq.json", "examples.csv"]
        for index, name in enumerate(names):
            for path in files(f"config/{name}") + files(f"Tests/**/{name}"):
                out.append((os.path.relpath(path, ROOT), bytes([index]) + read(path)))
    return out


def seed_directory(target):
    directory = os.path.join(OUT, "seeds", target)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for index, (name, data) in enumerate(seeds(target)):
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        with open(os.path.join(directory, f"{index:04d}-{safe}"), "wb") as out:
            out.write(data)
    return directory


# ------------------------------------------------------------------------------------ run

def fuzz(target, seconds, runs=None, quiet=False, jobs=1):
    binary = os.path.join(OUT, "bin", target)
    seed_dir = seed_directory(target)
    corpus = os.path.join(RESULTS, "fuzz", "corpus", target)
    artifacts = os.path.join(RESULTS, "fuzz", "artifacts", target)
    logs = os.path.join(RESULTS, "fuzz", "logs")
    for directory in (corpus, artifacts, logs):
        os.makedirs(directory, exist_ok=True)
    _, dictionary, max_len = TARGETS[target]
    cmd = [binary, corpus, seed_dir, f"-max_total_time={seconds}", f"-timeout={TIMEOUT_S}",
           f"-rss_limit_mb={RSS_LIMIT_MB}", f"-malloc_limit_mb={MALLOC_LIMIT_MB}",
           f"-max_len={max_len}", f"-dict={os.path.join(HERE, 'dicts', dictionary)}",
           "-print_final_stats=1", "-detect_leaks=0", "-reload=0",
           f"-artifact_prefix={artifacts}/"]
    if runs:
        cmd.append(f"-runs={-(-runs // jobs)}")
    if jobs > 1:
        # libFuzzer runs `jobs` worker processes on the shared corpus, each writing fuzz-<i>.log
        # in its working directory (and copied into this log at its end); each stops after its
        # share of the inputs.
        cmd += [f"-jobs={jobs}", f"-workers={jobs}"]
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0:handle_abort=1")
    log_path = os.path.join(logs, f"{target}.log")
    started = time.time()
    job_dir = os.path.join(logs, f"{target}-jobs")
    if jobs > 1:
        shutil.rmtree(job_dir, ignore_errors=True)
        os.makedirs(job_dir)
    with open(log_path, "w") as log:
        code = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                              cwd=job_dir if jobs > 1 else None).returncode
    elapsed = time.time() - started
    text = open(log_path, errors="replace").read()
    stats = {}
    for key, value in re.findall(r"^stat::(\w+):\s+(\d+)$", text, re.M):
        value = int(value)
        if key == "number_of_executed_units":
            stats[key] = stats.get(key, 0) + value  # summed over the workers
        elif key == "average_exec_per_sec":
            stats[key] = stats.get(key, 0) + value
        else:
            stats[key] = max(stats.get(key, 0), value)
    finding = next((kind for kind, pattern in (
        ("timeout", r"ERROR: libFuzzer: timeout"), ("out-of-memory", r"ERROR: libFuzzer: out-of-memory"),
        ("malloc-limit", r"malloc\(\d+\) exceeds limit"), ("asan", r"ERROR: AddressSanitizer"),
        ("crash", r"ERROR: libFuzzer: deadly signal|Fatal error|invariant failed"))
        if re.search(pattern, text)), None)
    if code != 0 and finding is None:
        finding = f"exit {code}"
    result = {"target": target, "seconds": round(elapsed, 1), "inputs": stats.get("number_of_executed_units", 0),
              "execs_per_s": stats.get("average_exec_per_sec", 0), "peak_rss_mb": stats.get("peak_rss_mb", 0),
              "corpus": len(os.listdir(corpus)), "seeds": len(os.listdir(seed_dir)), "jobs": jobs,
              "finding": finding, "artifacts": sorted(os.listdir(artifacts)) if finding else [],
              "log": os.path.relpath(log_path, ROOT), "command": " ".join(cmd)}
    with open(os.path.join(RESULTS, f"fuzz-{target}-{time.strftime('%Y%m%d-%H%M%S')}.json"), "w") as out:
        json.dump(result, out, indent=2)
    if finding and not quiet:
        print("\n".join(text.splitlines()[-40:]), file=sys.stderr)
    return result


def table(results):
    print(f"{'target':<12} {'seconds':>8} {'inputs':>12} {'exec/s':>8} {'rss MB':>7} {'corpus':>7}  result")
    for r in results:
        print(f"{r['target']:<12} {r['seconds']:>8.0f} {r['inputs']:>12,} {r['execs_per_s']:>8,} "
              f"{r['peak_rss_mb']:>7} {r['corpus']:>7}  {r['finding'] or 'ok'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("targets", nargs="*")
    r = sub.add_parser("run")
    r.add_argument("target", choices=sorted(TARGETS))
    r.add_argument("seconds", type=int)
    r.add_argument("--runs", type=int)
    r.add_argument("--jobs", type=int, default=1)
    a = sub.add_parser("run-all")
    a.add_argument("seconds", type=int)
    a.add_argument("--runs", type=int)
    args = parser.parse_args()
    if args.command == "build":
        build(args.targets or sorted(TARGETS))
        return
    names = [args.target] if args.command == "run" else sorted(TARGETS)
    build(names)
    results = []
    for name in names:
        say(f"fuzzing {name} for {args.seconds}s" + (f" or {args.runs:,} inputs" if args.runs else ""))
        results.append(fuzz(name, args.seconds, args.runs, jobs=getattr(args, "jobs", 1)))
    table(results)
    if any(r["finding"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
