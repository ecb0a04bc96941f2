// wc-client: WooCommerce's official REST API client for JavaScript
// (@woocommerce/woocommerce-rest-api, unchanged) against a souk shop, run
// by tests/http/test_wc-client.py in two phases:
//
//   node client.mjs one URL CK CS READ_CK READ_CS STATE.json
//     categories, a variable product with two variations, three simple
//     products in a batch, paging, a stock update, an order created with
//     the API, a webhook (order.updated) saved with a public address;
//     writes what it made to STATE.json for the test to check and to
//     point the webhook at its receiver.
//   node client.mjs two URL CK CS READ_CK READ_CS STATE.json
//     the order marked processing (the webhook fires), orders by status,
//     and the read key: reads answer, writes are 401.
//
// Over http the client signs every request with OAuth 1.0a (HMAC-SHA256,
// its parameters in the query), as it does against WordPress. The shop's
// host is SLUG.localhost, which glibc does not resolve: an agent whose
// lookup answers 127.0.0.1 connects there while the URL, the Host header
// and the signed base string keep the shop's name.
//
// Prints "wc-client: ok N" (N steps) at the end; any failed step throws.
import http from "node:http";
import fs from "node:fs";
import WooCommerceRestApiModule from "@woocommerce/woocommerce-rest-api";

const WooCommerceRestApi = WooCommerceRestApiModule.default ||
    WooCommerceRestApiModule;
const [phase, url, ck, cs, rck, rcs, statePath] = process.argv.slice(2);
const agent = new http.Agent({
	lookup: (host, opts, cb) => opts && opts.all ?
	    cb(null, [{ address: "127.0.0.1", family: 4 }]) :
	    cb(null, "127.0.0.1", 4),
});
const client = (key, secret) => new WooCommerceRestApi({
	url, consumerKey: key, consumerSecret: secret, version: "wc/v3",
	axiosConfig: { httpAgent: agent },
});
const api = client(ck, cs);
const ro = client(rck, rcs);
let steps = 0;

function check(cond, what, detail) {
	if (!cond)
		throw new Error(`wc-client: ${what}: ` +
		    JSON.stringify(detail).slice(0, 2000));
	steps++;
}

// An answer the client rejected (4xx): its status and WooCommerce body.
async function refused(p) {
	try {
		const r = await p;
		return { status: r.status, data: r.data };
	} catch (e) {
		if (!e.response)
			throw e;
		return { status: e.response.status, data: e.response.data };
	}
}

async function one() {
	const st = {};
	// Categories: a parent and a child.
	let r = await api.post("products/categories", { name: "Tee" });
	check(r.status === 201 && r.data.id > 0, "category created", r.data);
	const tea = r.data.id;
	r = await api.post("products/categories",
	    { name: "Grüner Tee", parent: tea });
	check(r.status === 201 && r.data.parent === tea, "child category",
	    r.data);
	const green = r.data.id;
	r = await api.get("products/categories", { per_page: 100 });
	check(r.data.some((c) => c.id === green && c.name === "Grüner Tee"),
	    "categories listed", r.data);

	// A variable product in the child category, two variations.
	r = await api.post("products", {
		name: "Sencha", type: "variable", status: "publish",
		categories: [{ id: green }],
		attributes: [{ name: "Size", options: ["50 g", "100 g"],
		    variation: true, visible: true }],
	});
	// souk's type follows the variants: "variable" once it has some.
	check(r.status === 201 && r.data.id > 0 &&
	    r.data.categories.some((c) => c.id === green),
	    "variable product created", r.data);
	const pid = r.data.id;
	const vids = [];
	for (const [size, price, stock] of [["50 g", "4.50", 5],
	    ["100 g", "8.00", 3]]) {
		r = await api.post(`products/${pid}/variations`, {
			regular_price: price, manage_stock: true,
			stock_quantity: stock,
			attributes: [{ name: "Size", option: size }],
		});
		check(r.status === 201 && r.data.regular_price === price &&
		    r.data.stock_quantity === stock, "variation created",
		    r.data);
		vids.push(r.data.id);
	}
	r = await api.get(`products/${pid}/variations`);
	check(r.data.length === 2 && r.data.every((v) =>
	    vids.includes(v.id)), "variations listed", r.data);
	r = await api.get(`products/${pid}`);
	check(r.data.type === "variable" && r.data.variations.length === 2 &&
	    r.data.attributes.some((a) => a.name === "Size" &&
	    a.options.includes("50 g") && a.options.includes("100 g")),
	    "the product is variable, with its attribute", r.data);

	// Three simple products in one batch; the parent category's
	// listing holds the child's product.
	r = await api.post("products/batch", { create: [1, 2, 3].map((i) =>
	    ({ name: `Kanne ${i}`, type: "simple", regular_price: `${i}0.00`,
	    status: "publish", manage_stock: true, stock_quantity: 10,
	    categories: [{ id: tea }] })) });
	check(r.data.create && r.data.create.length === 3 &&
	    r.data.create.every((p) => p.id > 0), "batch create", r.data);
	r = await api.get("products", { category: tea, per_page: 100 });
	check(r.data.some((p) => p.id === pid), "child category's product " +
	    "under the parent", r.data.map((p) => p.id));

	// Paging: at least 4 products in pages of 2.
	r = await api.get("products", { per_page: 2, page: 1 });
	const total = Number(r.headers["x-wp-total"]);
	check(r.data.length === 2 && total >= 4 &&
	    Number(r.headers["x-wp-totalpages"]) === Math.ceil(total / 2),
	    "paging headers", r.headers);
	const r2 = await api.get("products", { per_page: 2, page: 2 });
	check(r2.data.length >= 1 && !r2.data.some((p) =>
	    r.data.some((q) => q.id === p.id)), "page 2 is other products",
	    r2.data.map((p) => p.id));

	// A stock update of one variation.
	r = await api.put(`products/${pid}/variations/${vids[0]}`,
	    { stock_quantity: 7 });
	check(r.data.stock_quantity === 7, "variation stock updated", r.data);
	r = await api.get(`products/${pid}/variations/${vids[0]}`);
	check(r.data.stock_quantity === 7, "variation stock read", r.data);

	// An order: two of the 50 g, shipped to Germany, bank transfer.
	const addr = { first_name: "Käthe", last_name: "Kruse",
	    address_1: "Domplatz 1", city: "Köln", postcode: "50667",
	    country: "DE", email: "kaethe@example.com", phone: "" };
	r = await api.post("orders", {
		payment_method: "bacs", billing: addr, shipping: addr,
		line_items: [{ product_id: pid, variation_id: vids[0],
		    quantity: 2 }],
	});
	check(r.status === 201 && r.data.id > 0 &&
	    r.data.line_items.length === 1 &&
	    r.data.line_items[0].quantity === 2, "order created", r.data);
	const oid = r.data.id;
	st.order_status = r.data.status;
	r = await api.get(`products/${pid}/variations/${vids[0]}`);
	check(r.data.stock_quantity === 5, "the order took the stock",
	    r.data);

	// A webhook on order.updated (public address: the test points it
	// at its receiver).
	r = await api.post("webhooks", { name: "ERP", topic: "order.updated",
	    delivery_url: "http://192.0.2.10/hook", secret: "erp-secret" });
	check(r.status === 201 && r.data.topic === "order.updated",
	    "webhook created", r.data);
	Object.assign(st, { tea, green, pid, vids, oid, webhook: r.data.id });
	fs.writeFileSync(statePath, JSON.stringify(st));
}

async function two() {
	const st = JSON.parse(fs.readFileSync(statePath, "utf8"));
	let r = await api.get("orders", { status: st.order_status });
	check(r.data.some((o) => o.id === st.oid), "orders by status",
	    r.data.map((o) => [o.id, o.status]));
	r = await api.put(`orders/${st.oid}`, { status: "processing" });
	check(r.data.status === "processing", "order marked processing",
	    r.data);
	r = await api.get("orders", { status: "processing" });
	check(r.data.some((o) => o.id === st.oid) &&
	    r.data.every((o) => o.status === "processing"),
	    "processing orders", r.data.map((o) => [o.id, o.status]));
	r = await api.get("orders", { status: st.order_status });
	check(!r.data.some((o) => o.id === st.oid), "no longer under its " +
	    "first status", r.data.map((o) => o.id));

	// The read key reads, and is refused every write.
	r = await ro.get(`products/${st.pid}`);
	check(r.status === 200 && r.data.id === st.pid, "read key reads",
	    r.data);
	r = await ro.get(`orders/${st.oid}`);
	check(r.status === 200 && r.data.status === "processing",
	    "read key reads an order", r.data);
	// One after the other: a request started before its rejection is
	// awaited would end the process (an unhandled rejection).
	for (const [what, send] of [
	    ["product", () => ro.post("products", { name: "Nope" })],
	    ["stock", () => ro.put(
		`products/${st.pid}/variations/${st.vids[1]}`,
		{ stock_quantity: 99 })],
	    ["order", () => ro.put(`orders/${st.oid}`,
		{ status: "completed" })],
	    ["delete", () => ro.delete(`products/${st.pid}`,
		{ force: true })]]) {
		const a = await refused(send());
		check(a.status === 401 && typeof a.data.code === "string" &&
		    a.data.data && a.data.data.status === 401,
		    `read key refused a ${what} write`, a);
	}
	r = await api.get(`products/${st.pid}/variations/${st.vids[1]}`);
	check(r.data.stock_quantity === 3, "the refused write wrote nothing",
	    r.data);
}

try {
	await (phase === "one" ? one() : two());
	console.log(`wc-client: ok ${steps}`);
} catch (e) {
	console.log(String(e.message || e).slice(0, 3000));
	if (e.config)
		console.log(e.config.method, e.config.url);
	if (e.response)
		console.log(e.response.status,
		    JSON.stringify(e.response.data).slice(0, 2000));
	process.exit(1);
}
