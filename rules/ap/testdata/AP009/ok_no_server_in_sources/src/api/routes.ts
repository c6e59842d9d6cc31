export const routes = ['/store/products', '/admin/orders']
