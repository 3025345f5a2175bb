package io.goncloud.core.catalog;

import io.goncloud.api.model.Image;
import io.goncloud.api.model.InstanceType;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.CatalogService;
import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.persistence.InstanceTypeEntity;
import io.goncloud.core.persistence.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.util.Map;

@Component(service = CatalogService.class)
public class CatalogServiceImpl implements CatalogService {

    private final Database db;

    @Activate
    public CatalogServiceImpl(@Reference Database db) {
        this.db = db;
    }

    /** Instance types are few and ordered by size; the whole list is one page. */
    @Override
    public Page<InstanceType> instanceTypes(PageRequest page) {
        return db.read(em -> new Page<>(em.createQuery(
                        "SELECT t FROM InstanceTypeEntity t ORDER BY t.cpu, t.memory, t.name", InstanceTypeEntity.class)
                .getResultList().stream()
                .map(t -> new InstanceType(t.name, t.cpu, t.memory, t.storage, t.network, t.price))
                .toList(), null));
    }

    @Override
    public Page<Image> images(Caller caller, PageRequest page) {
        return db.read(em -> caller.isOperator()
                ? Paging.page(em, ImageEntity.class, null, Map.of(), page, rows -> rows.stream().map(CatalogServiceImpl::toModel).toList())
                : Paging.page(em, ImageEntity.class, "e.isPublic = true OR e.userId = :owner",
                        Map.of("owner", caller.userId()), page, rows -> rows.stream().map(CatalogServiceImpl::toModel).toList()));
    }

    static Image toModel(ImageEntity i) {
        return new Image(i.id, i.name, i.description, i.os, i.version, i.architecture, i.format, i.isPublic,
                i.userId, i.size, i.createdAt.toInstant());
    }
}
