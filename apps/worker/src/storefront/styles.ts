/**
 * The storefront's whole stylesheet, inlined in every page (no request before the first paint) and allowed by
 * its hash in the Content-Security-Policy. Phone first: one column, 44 px touch targets, AA contrast.
 */
export const STOREFRONT_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#15171a;background:#fafafa;overflow-wrap:break-word}
a{color:#0b57d0}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
img{max-width:100%;height:auto}
h1,h2,h3{line-height:1.2;margin:0 0 .5rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.5rem}h3{font-size:1.05rem}
p{margin:.25rem 0 .75rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.75rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.25rem 1rem;background:#fff;border-bottom:1px solid #e3e5e8}
.brand{font-weight:800;font-size:1.15rem;color:#15171a;text-decoration:none;margin-right:auto;display:inline-flex;align-items:center;min-height:44px}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:0 .75rem}
.top nav a,.linkish{display:inline-flex;align-items:center;min-height:44px;padding:0 .25rem}
.linkish{background:none;border:0;font:inherit;color:#0b57d0;text-decoration:underline;cursor:pointer}
.account{display:flex;align-items:center;gap:.5rem;font-size:.875rem;color:#4a4f57;min-width:0}
.account.signed-in{flex-basis:100%;justify-content:flex-end}
.account .who{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
main{max-width:44rem;margin:0 auto;padding:1rem}
footer{max-width:44rem;margin:2rem auto 0;padding:1rem;color:#4a4f57;font-size:.875rem;border-top:1px solid #e3e5e8}
.crumbs{font-size:.9rem;margin-bottom:.5rem}
.crumbs a{display:inline-flex;align-items:center;min-height:44px}
.muted{color:#4a4f57}
.hero{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin-bottom:1rem}
.cover{width:7.5rem;aspect-ratio:3/4;object-fit:cover;border-radius:10px;background:#dfe3e8;flex:none}
.hero>div{flex:1 1 14rem;min-width:0}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:44px;min-width:44px;padding:.55rem 1rem;border-radius:10px;border:2px solid #15171a;background:#15171a;color:#fff;font:inherit;font-weight:650;text-decoration:none;cursor:pointer;touch-action:manipulation}
.btn:hover{background:#33373d}
.btn.secondary{background:#fff;color:#15171a}
.btn.secondary:hover{background:#eef0f2}
.btn[disabled],.btn[aria-disabled=true]{opacity:.6;cursor:progress}
.btn.wide{width:100%}
a.btn{text-align:center;text-decoration:none;box-sizing:border-box}
.note.or{text-align:center;margin:.5rem 0}
.verified{display:inline-block;font-size:.8125rem;font-weight:600;color:#0b6b3a;background:#e3f5eb;border-radius:999px;padding:.1rem .55rem;vertical-align:middle}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
.note{font-size:.875rem;color:#4a4f57}
.cards{list-style:none;margin:0;padding:0;display:grid;gap:1rem}
.card{display:flex;gap:.85rem;background:#fff;border:1px solid #e3e5e8;border-radius:14px;padding:.75rem}
.card .cover{width:5.5rem}
.card h2{font-size:1.1rem;margin:0 0 .25rem}
.card h2 a{color:#15171a}
.episodes{list-style:none;margin:0;padding:0;border-top:1px solid #e3e5e8}
.ep{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.5rem 0;border-bottom:1px solid #e3e5e8}
.ep[aria-current=true]{background:#eef4ff}
.ep-num{flex:none;width:2rem;text-align:center;font-weight:700;color:#4a4f57}
.ep-thumb{flex:none;width:64px;height:36px;object-fit:cover;border-radius:4px;background:#e4e6ea}
.ep-main{flex:1 1 9rem;min-width:0}
.ep-main a{display:inline-flex;align-items:center;min-height:44px;color:#15171a;font-weight:600}
.ep-meta{display:block;font-size:.85rem;color:#4a4f57}
.ep .btn{flex:none;margin-left:auto;padding:.4rem .8rem;font-size:.9rem}
.badge{display:inline-block;white-space:nowrap;padding:.05rem .45rem;border-radius:6px;font-size:.8rem;font-weight:650;background:#eceef1;color:#2b2f35}
.badge.free{background:#e3f4e8;color:#0c5a28}
.badge.owned{background:#e6eefc;color:#0a3f99}
.badge.sale{background:#fdecea;color:#8c1d18;white-space:normal}
.sale .spoken{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.promo{margin:.75rem 0}
.promo summary{cursor:pointer;min-height:44px;display:flex;align-items:center;color:#0b57d0}
.promo input{max-width:16rem;text-transform:uppercase}
.status{padding:.75rem 1rem;border-radius:10px;background:#fff7dc;color:#4d3b00;margin:.75rem 0}
.status.ok{background:#e3f4e8;color:#0c5a28}
.status.bad{background:#fde8e8;color:#8a1111}
.banner{padding:.75rem 1rem;border-radius:10px;background:#eceef1;margin:.75rem 0}
.player{margin:.5rem 0 1rem;background:#000;border-radius:14px;overflow:hidden;position:relative}
.player video{display:block;width:100%;max-height:75vh;aspect-ratio:9/16;background:#000}
.player .now{margin:0;padding:.5rem .75rem;color:#fff;background:#15171a;font-size:.9rem}
.player .overlay{position:absolute;left:50%;top:40%;transform:translate(-50%,-50%)}
.player-actions{display:flex;flex-wrap:wrap;gap:.5rem;padding:.5rem .75rem;background:#15171a}
.player-actions .btn{border-color:#fff;background:#fff;color:#15171a}
dialog{border:0;border-radius:16px;padding:1.25rem;width:min(26rem,calc(100vw - 1.5rem));box-shadow:0 10px 40px rgba(0,0,0,.25)}
dialog::backdrop{background:rgba(10,12,15,.55)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{display:block;width:100%;min-height:44px;padding:.5rem .75rem;font:inherit;border:1px solid #6b717a;border-radius:8px;background:#fff;color:#15171a}
input[aria-invalid=true]{border-color:#b3261e}
.field-error{color:#b3261e;font-size:.875rem;margin:.25rem 0 0}
.dialog-head{display:flex;align-items:flex-start;justify-content:space-between;gap:.5rem}
.table{width:100%;border-collapse:collapse}
.table th,.table td{text-align:left;vertical-align:top;padding:.5rem 0;border-bottom:1px solid #e3e5e8}
.table th{width:40%;padding-right:.75rem;font-weight:600;color:#4a4f57}
.group{background:#fff;border:1px solid #e3e5e8;border-radius:14px;padding:.75rem;margin-bottom:1rem}
.group ul{list-style:none;margin:0;padding:0}
.group li{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.35rem 0;border-top:1px solid #eef0f2}
.group li>span{flex:1 1 12rem}
.stars{color:#8a5a00;letter-spacing:.05em}
.rating{font-weight:600}
.review-list{list-style:none;margin:0;padding:0}
.review{border-top:1px solid #e3e5e8;padding:.5rem 0}
.review-text{white-space:pre-line}
.reply{margin:.25rem 0 .5rem;padding:.25rem .75rem;border-left:3px solid #c9ced6}
.stars-pick{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 1rem}
.stars-pick legend{font-weight:600;padding:0}
.stars-pick label{display:inline-flex;align-items:center;gap:.35rem;font-weight:400;min-height:44px}
.stars-pick input{width:auto;min-height:0}
textarea{display:block;width:100%;padding:.5rem .75rem;font:inherit;border:1px solid #6b717a;border-radius:8px;background:#fff;color:#15171a}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
@media (min-width:40rem){.cover{width:10rem}h1{font-size:2rem}}
`.trim();
