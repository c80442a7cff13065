// SPDX-License-Identifier: GPL-2.0
/*
 * p2pmem_test - P2PDMA page allocator test module for the mmio-dmabuf bench
 *
 * Binds to QEMU's ivshmem-plain device (1af4:1110; the bench binds it
 * through driver_override), gives the whole of its BAR2 ZONE_DEVICE pages
 * with pci_p2pdma_add_resource() and publishes it, as the in-tree users of
 * the P2PDMA page allocator (NVMe CMB, nvmet) do. /dev/p2pmem_test then
 * lets root allocate P2P memory with pci_alloc_p2pmem(), access it through
 * its kernel virtual address, and map parts of it with dma_map_sgtable()
 * for another PCI device, so that a test can check which addresses the DMA
 * layer hands out and have that device DMA to and from them.
 *
 * An open file holds at most one allocation and one mapping of it. Both
 * are undone when the file is closed and when ivshmem is unbound (the
 * ZONE_DEVICE pages cannot go away while allocated); the mapping also when
 * the device it was made for loses its driver or is removed, since the DMA
 * API wants the mappings of a device gone by then.
 */

#include <linux/cache.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "p2pmem_test.h"

#define P2PMEM_TEST_VENDOR_ID	0x1af4
#define P2PMEM_TEST_DEVICE_ID	0x1110
#define P2PMEM_TEST_BAR		2

/**
 * struct p2pmem_test - the bound ivshmem device
 * @pdev: the PCI device
 * @misc: /dev/p2pmem_test
 */
struct p2pmem_test {
	struct pci_dev *pdev;
	struct miscdevice misc;
};

/**
 * struct p2pmem_test_file - state of one open /dev/p2pmem_test
 * @node: entry in p2pmem_test_files
 * @provider: the ivshmem device, NULL once it was unbound
 * @buf: P2P memory from pci_alloc_p2pmem(), or NULL
 * @size: size of @buf in bytes
 * @client: the device @sgt is DMA mapped for (reference held), or NULL
 * @sgt: chunks of @buf, mapped for @client
 * @dir: direction of the mapping
 */
struct p2pmem_test_file {
	struct list_head node;
	struct pci_dev *provider;
	void *buf;
	size_t size;
	struct pci_dev *client;
	struct sg_table sgt;
	enum dma_data_direction dir;
};

/* protects p2pmem_test_files, the state of every file, p2pmem_test_bound */
static DEFINE_MUTEX(p2pmem_test_lock);
static LIST_HEAD(p2pmem_test_files);
/* /dev/p2pmem_test has a fixed name: only one ivshmem device is driven */
static bool p2pmem_test_bound;

static void p2pmem_test_unmap(struct p2pmem_test_file *f)
{
	lockdep_assert_held(&p2pmem_test_lock);

	if (!f->client)
		return;
	dma_unmap_sgtable(&f->client->dev, &f->sgt, f->dir, 0);
	sg_free_table(&f->sgt);
	pci_dev_put(f->client);
	f->client = NULL;
}

/* undo everything the file did */
static void p2pmem_test_teardown(struct p2pmem_test_file *f)
{
	lockdep_assert_held(&p2pmem_test_lock);

	p2pmem_test_unmap(f);
	if (f->buf)
		pci_free_p2pmem(f->provider, f->buf, f->size);
	f->buf = NULL;
	f->size = 0;
}

/* the PCI device called @name, with a reference held */
static struct pci_dev *p2pmem_test_get_pci(const char *name, size_t len)
{
	struct device *dev;

	if (!memchr(name, '\0', len))
		return ERR_PTR(-EINVAL);
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		return ERR_PTR(-ENODEV);
	return to_pci_dev(dev);
}

static int p2pmem_test_dir(u32 dir, enum dma_data_direction *out)
{
	switch (dir) {
	case P2PMEM_TEST_DIR_BIDIRECTIONAL:
		*out = DMA_BIDIRECTIONAL;
		return 0;
	case P2PMEM_TEST_DIR_TO_DEVICE:
		*out = DMA_TO_DEVICE;
		return 0;
	case P2PMEM_TEST_DIR_FROM_DEVICE:
		*out = DMA_FROM_DEVICE;
		return 0;
	}
	return -EINVAL;
}

/*
 * Chunks inside the allocation, in ascending order, not overlapping, each
 * starting on a cache line of its own: DMA-API debug reports two
 * device-writable mappings that start on the same cache line.
 */
static int p2pmem_test_check_chunks(const struct p2pmem_test_map *arg,
				    size_t size)
{
	const struct p2pmem_test_chunk *c, *prev = NULL;
	u32 i;

	if (!arg->nr_chunks || arg->nr_chunks > P2PMEM_TEST_MAX_CHUNKS)
		return -EINVAL;

	for (i = 0; i < arg->nr_chunks; i++) {
		c = &arg->chunks[i];
		if (!c->len || c->len > UINT_MAX || c->offset > size ||
		    c->len > size - c->offset)
			return -EINVAL;
		if (prev && (c->offset < prev->offset + prev->len ||
			     c->offset >> L1_CACHE_SHIFT ==
			     prev->offset >> L1_CACHE_SHIFT))
			return -EINVAL;
		prev = c;
	}
	return 0;
}

/* --- ioctls ---------------------------------------------------------- */

static long p2pmem_test_ioctl_info(struct p2pmem_test_file *f,
				   void __user *uarg)
{
	struct p2pmem_test_info info = { .bar = P2PMEM_TEST_BAR };
	long ret = 0;

	mutex_lock(&p2pmem_test_lock);
	if (f->provider) {
		info.bar_phys = pci_resource_start(f->provider, P2PMEM_TEST_BAR);
		info.bar_bus = pci_bus_address(f->provider, P2PMEM_TEST_BAR);
		info.bar_size = pci_resource_len(f->provider, P2PMEM_TEST_BAR);
		strscpy(info.pci_name, pci_name(f->provider),
			sizeof(info.pci_name));
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&p2pmem_test_lock);

	if (!ret && copy_to_user(uarg, &info, sizeof(info)))
		ret = -EFAULT;
	return ret;
}

static long p2pmem_test_ioctl_client(struct p2pmem_test_file *f,
				     void __user *uarg)
{
	struct p2pmem_test_client arg;
	struct pci_dev *client, *found;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	client = p2pmem_test_get_pci(arg.pci_name, sizeof(arg.pci_name));
	if (IS_ERR(client))
		return PTR_ERR(client);

	mutex_lock(&p2pmem_test_lock);
	if (f->provider) {
		arg.distance = pci_p2pdma_distance(f->provider, &client->dev,
						   true);
		found = pci_p2pmem_find(&client->dev);
		arg.found = found && found == f->provider;
		pci_dev_put(found);
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&p2pmem_test_lock);
	pci_dev_put(client);

	if (!ret && copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
	return ret;
}

static long p2pmem_test_ioctl_alloc(struct p2pmem_test_file *f,
				    void __user *uarg)
{
	struct p2pmem_test_alloc arg;
	long ret = 0;
	void *buf;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.size || arg.size > P2PMEM_TEST_MAX_ALLOC)
		return -EINVAL;

	mutex_lock(&p2pmem_test_lock);
	if (!f->provider) {
		ret = -ENODEV;
		goto out;
	}
	if (f->buf) {
		ret = -EBUSY;
		goto out;
	}
	buf = pci_alloc_p2pmem(f->provider, arg.size);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}

	arg.phys = virt_to_phys(buf);
	arg.bus = pci_p2pmem_virt_to_bus(f->provider, buf);
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		pci_free_p2pmem(f->provider, buf, arg.size);
		ret = -EFAULT;
		goto out;
	}
	f->buf = buf;
	f->size = arg.size;
out:
	mutex_unlock(&p2pmem_test_lock);
	return ret;
}

static long p2pmem_test_ioctl_free(struct p2pmem_test_file *f)
{
	long ret = 0;

	mutex_lock(&p2pmem_test_lock);
	if (!f->provider)
		ret = -ENODEV;
	else if (!f->buf)
		ret = -ENOENT;
	else if (f->client)
		ret = -EBUSY;
	else
		p2pmem_test_teardown(f);
	mutex_unlock(&p2pmem_test_lock);
	return ret;
}

static long p2pmem_test_ioctl_io(struct p2pmem_test_file *f,
				 void __user *uarg, bool write)
{
	struct p2pmem_test_io arg;
	void __user *ptr;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ptr = u64_to_user_ptr(arg.user_ptr);

	mutex_lock(&p2pmem_test_lock);
	if (!f->provider)
		ret = -ENODEV;
	else if (!f->buf)
		ret = -ENOENT;
	else if (arg.offset > f->size || arg.len > f->size - arg.offset)
		ret = -EINVAL;
	else if (write && copy_from_user(f->buf + arg.offset, ptr, arg.len))
		ret = -EFAULT;
	else if (!write && copy_to_user(ptr, f->buf + arg.offset, arg.len))
		ret = -EFAULT;
	mutex_unlock(&p2pmem_test_lock);
	return ret;
}

/* dma_map_sgtable() of the chunks; its verdict goes to arg->result */
static long p2pmem_test_map_locked(struct p2pmem_test_file *f,
				   struct p2pmem_test_map *arg,
				   struct pci_dev *client,
				   enum dma_data_direction dir)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	lockdep_assert_held(&p2pmem_test_lock);

	if (!f->provider)
		return -ENODEV;
	if (!f->buf)
		return -ENOENT;
	if (f->client)
		return -EBUSY;
	ret = p2pmem_test_check_chunks(arg, f->size);
	if (ret)
		return ret;

	ret = sg_alloc_table(&f->sgt, arg->nr_chunks, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(&f->sgt, sg, i) {
		void *addr = f->buf + arg->chunks[i].offset;

		sg_set_page(sg, virt_to_page(addr), arg->chunks[i].len,
			    offset_in_page(addr));
	}

	arg->result = dma_map_sgtable(&client->dev, &f->sgt, dir, 0);
	if (arg->result) {
		sg_free_table(&f->sgt);
		return 0;
	}

	arg->nr_segs = f->sgt.nents;
	for_each_sgtable_dma_sg(&f->sgt, sg, i) {
		arg->segs[i].dma_addr = sg_dma_address(sg);
		arg->segs[i].dma_len = sg_dma_len(sg);
		if (sg_dma_is_bus_address(sg))
			arg->segs[i].flags |= P2PMEM_TEST_SEG_BUS_ADDR;
	}
	f->client = pci_dev_get(client);
	f->dir = dir;
	return 0;
}

static long p2pmem_test_ioctl_map(struct p2pmem_test_file *f,
				  void __user *uarg)
{
	enum dma_data_direction dir;
	struct p2pmem_test_map arg;
	struct pci_dev *client;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (p2pmem_test_dir(arg.dir, &dir))
		return -EINVAL;
	arg.result = 0;
	arg.nr_segs = 0;
	memset(arg.segs, 0, sizeof(arg.segs));

	client = p2pmem_test_get_pci(arg.pci_name, sizeof(arg.pci_name));
	if (IS_ERR(client))
		return PTR_ERR(client);

	mutex_lock(&p2pmem_test_lock);
	ret = p2pmem_test_map_locked(f, &arg, client, dir);
	if (!ret && copy_to_user(uarg, &arg, sizeof(arg))) {
		p2pmem_test_unmap(f);
		ret = -EFAULT;
	}
	mutex_unlock(&p2pmem_test_lock);
	pci_dev_put(client);
	return ret;
}

static long p2pmem_test_ioctl_unmap(struct p2pmem_test_file *f)
{
	long ret = 0;

	mutex_lock(&p2pmem_test_lock);
	if (!f->provider)
		ret = -ENODEV;
	else if (!f->client)
		ret = -ENOENT;
	else
		p2pmem_test_unmap(f);
	mutex_unlock(&p2pmem_test_lock);
	return ret;
}

static long p2pmem_test_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct p2pmem_test_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case P2PMEM_TEST_INFO:
		return p2pmem_test_ioctl_info(f, uarg);
	case P2PMEM_TEST_CLIENT:
		return p2pmem_test_ioctl_client(f, uarg);
	case P2PMEM_TEST_ALLOC:
		return p2pmem_test_ioctl_alloc(f, uarg);
	case P2PMEM_TEST_FREE:
		return p2pmem_test_ioctl_free(f);
	case P2PMEM_TEST_WRITE:
		return p2pmem_test_ioctl_io(f, uarg, true);
	case P2PMEM_TEST_READ:
		return p2pmem_test_ioctl_io(f, uarg, false);
	case P2PMEM_TEST_MAP:
		return p2pmem_test_ioctl_map(f, uarg);
	case P2PMEM_TEST_UNMAP:
		return p2pmem_test_ioctl_unmap(f);
	default:
		return -ENOTTY;
	}
}

/* --- file operations ------------------------------------------------- */

/*
 * misc_open() calls this under misc_mtx and misc_deregister() takes
 * misc_mtx, so once remove has deregistered the device no new file can
 * get here, and every file that got here is on the list remove walks.
 */
static int p2pmem_test_open(struct inode *inode, struct file *file)
{
	struct p2pmem_test *pt = container_of(file->private_data,
					      struct p2pmem_test, misc);
	struct p2pmem_test_file *f;

	/* the P2P memory can be pointed at any device's DMA */
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->provider = pt->pdev;

	mutex_lock(&p2pmem_test_lock);
	list_add_tail(&f->node, &p2pmem_test_files);
	mutex_unlock(&p2pmem_test_lock);

	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int p2pmem_test_release(struct inode *inode, struct file *file)
{
	struct p2pmem_test_file *f = file->private_data;

	mutex_lock(&p2pmem_test_lock);
	p2pmem_test_teardown(f);
	list_del(&f->node);
	mutex_unlock(&p2pmem_test_lock);
	kfree(f);
	return 0;
}

static const struct file_operations p2pmem_test_fops = {
	.owner = THIS_MODULE,
	.open = p2pmem_test_open,
	.release = p2pmem_test_release,
	.unlocked_ioctl = p2pmem_test_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* --- mapped-for devices going away ----------------------------------- */

/*
 * Called under the device lock of @data before its driver's remove(), and
 * when it is deleted: drop the mappings made for it.
 */
static int p2pmem_test_bus_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct device *dev = data;
	struct p2pmem_test_file *f;

	if (action != BUS_NOTIFY_UNBIND_DRIVER &&
	    action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	mutex_lock(&p2pmem_test_lock);
	list_for_each_entry(f, &p2pmem_test_files, node) {
		if (!f->client || &f->client->dev != dev)
			continue;
		dev_info(dev, "going away: unmapping P2P memory of %s\n",
			 pci_name(f->provider));
		p2pmem_test_unmap(f);
	}
	mutex_unlock(&p2pmem_test_lock);
	return NOTIFY_OK;
}

static struct notifier_block p2pmem_test_nb = {
	.notifier_call = p2pmem_test_bus_notify,
};

/* --- PCI driver ------------------------------------------------------ */

static int p2pmem_test_setup(struct pci_dev *pdev)
{
	struct p2pmem_test *pt;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	if (!(pci_resource_flags(pdev, P2PMEM_TEST_BAR) & IORESOURCE_MEM) ||
	    !pci_resource_len(pdev, P2PMEM_TEST_BAR)) {
		pci_err(pdev, "BAR%d is not a memory BAR\n", P2PMEM_TEST_BAR);
		return -ENODEV;
	}

	/* all of the BAR, as nvme does with its CMB */
	ret = pci_p2pdma_add_resource(pdev, P2PMEM_TEST_BAR, 0, 0);
	if (ret) {
		pci_err(pdev, "pci_p2pdma_add_resource: %d\n", ret);
		return ret;
	}
	pci_p2pmem_publish(pdev, true);

	pt = devm_kzalloc(&pdev->dev, sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	pt->pdev = pdev;
	pt->misc.minor = MISC_DYNAMIC_MINOR;
	pt->misc.name = "p2pmem_test";
	pt->misc.fops = &p2pmem_test_fops;
	pt->misc.parent = &pdev->dev;
	pt->misc.mode = 0600;
	pci_set_drvdata(pdev, pt);

	ret = misc_register(&pt->misc);
	if (ret)
		return ret;

	pci_info(pdev, "P2P memory: BAR%d %pR, bus address %#llx\n",
		 P2PMEM_TEST_BAR, &pdev->resource[P2PMEM_TEST_BAR],
		 (unsigned long long)pci_bus_address(pdev, P2PMEM_TEST_BAR));
	return 0;
}

static int p2pmem_test_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	int ret;

	mutex_lock(&p2pmem_test_lock);
	if (p2pmem_test_bound) {
		mutex_unlock(&p2pmem_test_lock);
		pci_info(pdev, "ignored: only one ivshmem device is supported\n");
		return -ENODEV;
	}
	p2pmem_test_bound = true;
	mutex_unlock(&p2pmem_test_lock);

	/* device-managed: a failed probe leaves nothing behind */
	ret = p2pmem_test_setup(pdev);
	if (ret) {
		mutex_lock(&p2pmem_test_lock);
		p2pmem_test_bound = false;
		mutex_unlock(&p2pmem_test_lock);
	}
	return ret;
}

static void p2pmem_test_remove(struct pci_dev *pdev)
{
	struct p2pmem_test *pt = pci_get_drvdata(pdev);
	struct p2pmem_test_file *f;
	unsigned int busy = 0;

	/* no new opens after this */
	misc_deregister(&pt->misc);

	/*
	 * Open files stay, but lose their memory: the ZONE_DEVICE pages are
	 * torn down after remove() and that waits for every page to be free.
	 */
	mutex_lock(&p2pmem_test_lock);
	list_for_each_entry(f, &p2pmem_test_files, node) {
		if (f->provider != pdev)
			continue;
		if (f->buf)
			busy++;
		p2pmem_test_teardown(f);
		f->provider = NULL;
	}
	p2pmem_test_bound = false;
	mutex_unlock(&p2pmem_test_lock);

	pci_p2pmem_publish(pdev, false);
	if (busy)
		pci_info(pdev, "freed the P2P memory of %u open file(s)\n", busy);
}

static const struct pci_device_id p2pmem_test_ids[] = {
	{ PCI_DEVICE(P2PMEM_TEST_VENDOR_ID, P2PMEM_TEST_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, p2pmem_test_ids);

static struct pci_driver p2pmem_test_driver = {
	.name = KBUILD_MODNAME,
	.id_table = p2pmem_test_ids,
	.probe = p2pmem_test_probe,
	.remove = p2pmem_test_remove,
};

static int __init p2pmem_test_init(void)
{
	int ret;

	ret = bus_register_notifier(&pci_bus_type, &p2pmem_test_nb);
	if (ret)
		return ret;
	ret = pci_register_driver(&p2pmem_test_driver);
	if (ret)
		bus_unregister_notifier(&pci_bus_type, &p2pmem_test_nb);
	return ret;
}
module_init(p2pmem_test_init);

/* open files hold the module, so there are none left here */
static void __exit p2pmem_test_exit(void)
{
	pci_unregister_driver(&p2pmem_test_driver);
	bus_unregister_notifier(&pci_bus_type, &p2pmem_test_nb);
}
module_exit(p2pmem_test_exit);

MODULE_DESCRIPTION("mmio-dmabuf bench: P2PDMA page allocator test on ivshmem");
MODULE_LICENSE("GPL");
