package io.goncloud.api.service;

import io.goncloud.api.model.Image;
import io.goncloud.api.model.InstanceType;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

/** What can be launched: instance types and images. */
public interface CatalogService {

    Page<InstanceType> instanceTypes(PageRequest page);

    /** Public images and the caller's own. */
    Page<Image> images(Caller caller, PageRequest page);
}
